#!/bin/sh
exec ./build/t/test_connect_rule
