package io.longshore.jetty.internal.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {

    @Test
    void startsFullAndAllowsOneRetryPerFiveRequestsOnceSpent() {
        RetryBudget budget = new RetryBudget(0.2);
        int spent = 0;
        while (budget.tryWithdraw()) {
            spent++;
        }
        assertThat(spent).isEqualTo(RetryBudget.CAPACITY);

        for (int i = 0; i < 4; i++) {
            budget.deposit();
        }
        assertThat(budget.tryWithdraw()).isFalse();
        budget.deposit();
        assertThat(budget.tryWithdraw()).isTrue();
        assertThat(budget.tryWithdraw()).isFalse();
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        RetryBudget budget = new RetryBudget(1.0);
        for (int i = 0; i < 1_000; i++) {
            budget.deposit();
        }
        assertThat(budget.available()).isEqualTo(RetryBudget.CAPACITY);
    }

    @Test
    void aZeroRatioAllowsNoRetryAtAll() {
        RetryBudget budget = new RetryBudget(0);
        for (int i = 0; i < 100; i++) {
            budget.deposit();
        }
        assertThat(budget.tryWithdraw()).isFalse();
    }
}
