/** The dashboard, tested in a real browser against a running seed scenario. */
package io.longshore.examples.dashboard;
