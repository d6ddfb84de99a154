#!/bin/sh
exec build/t/test_oci_state
