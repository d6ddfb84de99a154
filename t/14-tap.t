#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
# 14-tap.t - t/tap.h evaluates each argument of is_int/is_string once
exec build/t/test_tap
