/* SPDX-License-Identifier: MIT
 * Compiled into a layer library whose folder has no sources yet, so the
 * (empty) static library still builds. */
extern const int tg_empty_layer;
const int tg_empty_layer = 0;
