package io.smimedelivery.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ProcessStatsTest {

    @Test
    void machineCpuSplitsIdleAndBusy() {
        // user nice system idle iowait irq softirq steal guest guest_nice, in ticks of 1/100 s
        ProcessStats.MachineCpu cpu = ProcessStats.machineCpu("cpu  1000 50 300 8000 200 10 40 100 70 0");

        assertEquals(15.0, cpu.busySeconds(), 1e-9);
        assertEquals(82.0, cpu.idleSeconds(), 1e-9);
    }

    @Test
    void machineCpuDifferenceIsTheWindow() {
        ProcessStats.MachineCpu before = ProcessStats.machineCpu("cpu 100 0 100 1000 0 0 0 0 0 0");
        ProcessStats.MachineCpu after = ProcessStats.machineCpu("cpu 250 0 150 1100 0 0 0 0 0 0");

        ProcessStats.MachineCpu window = after.minus(before);

        assertEquals(2.0, window.busySeconds(), 1e-9);
        assertEquals(1.0, window.idleSeconds(), 1e-9);
    }

    @Test
    void machineCpuRejectsAPerCoreLine() {
        assertThrows(IllegalArgumentException.class, () -> ProcessStats.machineCpu("cpu0 1 2 3 4 5 6 7 8 9 10"));
    }

    @Test
    void thisMachineReportsSomeCpuTime() {
        ProcessStats.MachineCpu cpu = ProcessStats.machineCpu();

        assertTrue(cpu.busySeconds() + cpu.idleSeconds() > 0, "no CPU time read from /proc/stat");
    }
}
