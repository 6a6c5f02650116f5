/**
 * Helpers shared by the Longshore modules: the builders' argument checks and the cookie scanner
 * that both the strategies' default request view and the gateway's codec use. Not API: the
 * module exports this package only to its sibling modules.
 */
package io.longshore.api.internal;
