#!/bin/sh
echo not listed
