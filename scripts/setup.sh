#!/usr/bin/env bash
# Installs the system libraries nnverify links against (Debian/Ubuntu): GLPK, OpenBLAS and zlib; and
# xmllint (libxml2-utils), with which the tests validate JUnit reports against the JUnit schema.
# Safe to run again: it installs only what is missing. Needs root or sudo when something is missing.
set -euo pipefail

packages=(libglpk-dev libopenblas-dev zlib1g-dev libxml2-utils)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
if ! command -v swift >/dev/null 2>&1; then
    echo "setup: 'swift' is not on PATH; install Swift 6 (https://www.swift.org/install/) and retry" >&2
    exit 1
fi
