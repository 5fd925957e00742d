package io.smimedelivery.common.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smimedelivery.infra.InfrastructureTestResource;

/**
 * Transactions that lock overlapping key sets with {@link Sql#lockAllUntilTransactionEnds}, each passing
 * its keys in another order, finish without a deadlock on PostgreSQL.
 */
@QuarkusTest
@WithTestResource(value = InfrastructureTestResource.class,
        initArgs = @ResourceArg(name = InfrastructureTestResource.DATABASE_ARG, value = "common"))
class SqlLockOrderTest {

    private static final int SPACE = 4711;

    @Inject
    DataSource dataSource;

    @Test
    void overlappingLocksNeverDeadlock() throws Exception {
        Sql sql = new Sql(dataSource, "Lock test");
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            keys.add("user-" + i);
        }
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long seed = t;
                results.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    int committed = 0;
                    for (int round = 0; round < 60; round++) {
                        List<String> shuffled = new ArrayList<>(keys);
                        Collections.shuffle(shuffled, random);
                        List<String> subset = shuffled.subList(0, 4 + random.nextInt(8));
                        QuarkusTransaction.requiringNew().run(() -> {
                            sql.lockAllUntilTransactionEnds(SPACE, subset);
                            // Holding the locks a moment gives the other transactions time to queue behind them.
                            sql.query("SELECT pg_sleep(0.002)", result -> null);
                        });
                        committed++;
                    }
                    return committed;
                }));
            }
            for (Future<Integer> result : results) {
                assertEquals(60, result.get(120, TimeUnit.SECONDS), "every transaction committed");
            }
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
        }
    }
}
