package org.nbdscope.engine.zero;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nbdscope.engine.proto.NbdCommand;

/**
 * Predicted cost of a plan step: requests by command and bytes on the wire (headers included).
 *
 * @param upperBound true when the figures are a ceiling (the map was not read, so every range counts)
 */
public record Prediction(Map<String, Long> requestsByCommand, long requests, long bytesSent, long bytesReceived,
                         boolean upperBound, String note) {
    public static final Prediction NONE = new Prediction(Map.of(), 0, 0, 0, false, "nothing to send");

    public Prediction {
        requestsByCommand = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestsByCommand));
    }

    static Prediction of(NbdCommand c, long requests, long sent, long received, boolean upperBound, String note) {
        return new Prediction(requests == 0 ? Map.of() : Map.of(c.name(), requests), requests, sent, received, upperBound, note);
    }

    public Prediction plus(Prediction o) {
        Map<String, Long> m = new LinkedHashMap<>(requestsByCommand);
        o.requestsByCommand.forEach((k, v) -> m.merge(k, v, Long::sum));
        String n = note.isEmpty() ? o.note : o.note.isEmpty() ? note : note + "; " + o.note;
        return new Prediction(m, requests + o.requests, bytesSent + o.bytesSent, bytesReceived + o.bytesReceived,
            upperBound || o.upperBound, n);
    }
}
