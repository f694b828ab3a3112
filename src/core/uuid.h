/* SPDX-License-Identifier: MIT
 * UUIDs for core code: the implementation is in base (crypto needs it too). */
#ifndef TG_CORE_UUID_H
#define TG_CORE_UUID_H
#include "base/uuid.h"
#endif
