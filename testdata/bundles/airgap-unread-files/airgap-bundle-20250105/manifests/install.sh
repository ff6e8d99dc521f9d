#!/bin/sh
kubectl apply -f "$(dirname "$0")"
