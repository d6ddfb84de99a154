#!/bin/sh
exec ./build/t/test_limits
