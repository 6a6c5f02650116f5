package io.longshore.core.process;

import io.longshore.core.OrphanPolicy;

/**
 * The whole runtime contract again with every replica under a watchdog
 * ({@link OrphanPolicy#DIE_WITH_PARENT}): the same behaviour, except that the replicas of a
 * SIGKILLed JVM end and a new runtime finds nothing.
 */
class ProcessRuntimeDieWithParentContractTest extends ProcessRuntimeContractTest {
    @Override
    protected OrphanPolicy orphans() {
        return OrphanPolicy.DIE_WITH_PARENT;
    }
}
