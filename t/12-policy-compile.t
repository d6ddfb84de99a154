#!/bin/sh
exec ./build/t/test_policy_compile
