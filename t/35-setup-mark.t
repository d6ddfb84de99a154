#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
exec build/t/test_setup_mark
