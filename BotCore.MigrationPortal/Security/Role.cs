namespace BotCore.MigrationPortal.Security;

/// <summary>What a person may do in the portal; each role includes the ones below it.</summary>
public enum Role
{
    /// <summary>Sees everything, acts on nothing.</summary>
    Viewer = 0,

    /// <summary>Creates runs, ticks checklist items, requests approval, starts approved runs and emergency rollbacks.</summary>
    Operator = 1,

    /// <summary>Approves other people's runs (four eyes) and restores backups.</summary>
    Approver = 2,

    /// <summary>Manages users, overrides the staging requirement with a written reason, opens the job dashboard.</summary>
    Admin = 3,
}
