using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Doctor;

/// <summary>
/// Who may check a target: the doctor only reads (hello, buildInfo, getParameter, connectionStatus, dbStats) and writes one
/// probe file that it deletes, so any signed-in person may, Viewers included, as with the integrity checks; it is audited.
/// </summary>
public static class DoctorRules
{
    public static Verdict CheckTarget(Actor actor) => Verdict.Role(actor, Role.Viewer, "check targets");
}
