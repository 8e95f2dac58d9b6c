package org.nbdscope.engine.zero;

/**
 * What make-zero would do, made without writing anything.
 *
 * @param strategy    the first rung that would run (null when refused)
 * @param reason      one sentence: why this rung
 * @param refusal     why make-zero would refuse (read-only, qcow2, literal writes not allowed), or null
 * @param probe       the rung-1 probe that ran while planning (null when forced or skipped)
 * @param zeroing     predicted cost of the rung
 * @param fallback    the rung that follows if the server answers {@code NBD_ENOTSUP}, or null
 * @param fallbackZeroing its predicted cost (an upper bound when the map was not read), or null
 * @param verify      predicted cost of the verifying probe
 * @param planCost    what making this plan cost (read-only: the probe and any map)
 */
public record Plan(Strategy strategy, String reason, String refusal, ProbeResult probe, Prediction zeroing,
                   Strategy fallback, Prediction fallbackZeroing, Prediction verify, Cost planCost) {

    /** The predicted total: rung plus verification (the probe already ran). */
    public Prediction total() {
        return zeroing == null ? Prediction.NONE : verify == null ? zeroing : zeroing.plus(verify);
    }
}
