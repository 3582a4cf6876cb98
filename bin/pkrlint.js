#!/usr/bin/env node
import '../dist/pkrlint.mjs';
