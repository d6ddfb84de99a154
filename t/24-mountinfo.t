#!/bin/sh
exec build/t/test_mountinfo
