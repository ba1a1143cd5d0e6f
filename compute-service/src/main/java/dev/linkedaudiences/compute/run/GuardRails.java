package dev.linkedaudiences.compute.run;

import dev.linkedaudiences.compute.activation.ActivationState;
import dev.linkedaudiences.compute.audience.AudienceState;
import dev.linkedaudiences.contracts.JsonText;
import dev.linkedaudiences.contracts.event.GuardRail;

import java.util.List;

/**
 * Whether a staged run may publish: the audience's guard rail against the run's profile changes, and each firing
 * activation's against the changes it would send (entered for profile_entered, exited for profile_exited, both for
 * membership_changed, every member on a backfilling first run; entity triggers count the profile changes too). A
 * percentage is of the members before the run.
 */
final class GuardRails {
    private GuardRails() {
    }

    /** Why the run must be held, or null. */
    static String heldBecause(AudienceState audience, List<ActivationState> firing, JsonText json, long size, long entered, long exited) {
        long membersBefore = size - entered + exited;
        if (audience.guardRail != null) {
            String reason = json.read(audience.guardRail, GuardRail.class).exceededBy(entered, exited, membersBefore);
            if (reason != null) {
                return reason;
            }
        }
        for (ActivationState a : firing) {
            if (a.guardRail == null) {
                continue;
            }
            long sentEntered = a.firstRunId == null && a.backfill ? size : entered;
            String reason = switch (a.trigger) {
                case "profile_entered" -> json.read(a.guardRail, GuardRail.class).exceededBy(sentEntered, 0, membersBefore);
                case "profile_exited" -> json.read(a.guardRail, GuardRail.class).exceededBy(0, exited, membersBefore);
                case "membership_changed" -> json.read(a.guardRail, GuardRail.class).exceededBy(sentEntered, exited, membersBefore);
                default -> json.read(a.guardRail, GuardRail.class).exceededBy(entered, exited, membersBefore);
            };
            if (reason != null) {
                return "activation " + a.id + " (" + a.trigger + "): " + reason;
            }
        }
        return null;
    }
}
