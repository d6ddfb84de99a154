#!/bin/sh
exec ./build/t/test_hook_avail
