// SPDX-License-Identifier: MIT
// Interop helper for test_otpauth.sh: parse an otpauth:// URI with the npm
// "otpauth" library (as an authenticator app would after scanning the QR
// code) and print what it understood, with the code it computes for now +
// OFFSET seconds, as one JSON line.
//   node otpauth_code.mjs URI [OFFSET]
import * as OTPAuth from "otpauth";

const uri = process.argv[2];
const offset = Number(process.argv[3] || 0);
const otp = OTPAuth.URI.parse(uri);
if (!(otp instanceof OTPAuth.TOTP)) {
  console.error("not a TOTP URI");
  process.exit(1);
}
console.log(JSON.stringify({
  issuer: otp.issuer,
  label: otp.label,
  algorithm: otp.algorithm,
  digits: otp.digits,
  period: otp.period,
  secret: otp.secret.base32,
  code: otp.generate({ timestamp: Date.now() + offset * 1000 }),
}));
