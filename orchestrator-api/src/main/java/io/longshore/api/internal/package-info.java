/**
 * Argument checks shared by the builders of the Longshore modules. Not API: the module exports
 * this package only to its sibling modules.
 */
package io.longshore.api.internal;
