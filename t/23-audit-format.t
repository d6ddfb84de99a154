#!/bin/sh
exec build/t/test_audit_format
