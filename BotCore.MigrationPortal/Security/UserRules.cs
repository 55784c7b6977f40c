namespace BotCore.MigrationPortal.Security;

public enum UserAction
{
    List,
    Create,
    ChangeRole,
    ResetPassword,
    Unlock,
    Disable,
    Enable,
    EndSessions,
}

/// <summary>
/// Who may do what to the portal's users, asked by the Users page (to show buttons) and by <see cref="UserAdministration"/>
/// (to act): only an Admin, and never so that no enabled Admin is left (nobody could manage users any more).
/// </summary>
public static class UserRules
{
    /// <param name="subject">The user acted on (null for listing and creating).</param>
    /// <param name="all">Every user, for the last-Admin rule.</param>
    /// <param name="newRole">For <see cref="UserAction.ChangeRole"/>: the role asked for (null: any, to show the button).</param>
    public static Verdict Check(UserAction action, Actor actor, PortalUser? subject, IReadOnlyList<PortalUser> all, Role? newRole = null) =>
        Verdict.All(
            () => Verdict.Role(actor, Role.Admin, Describe(action)),
            () => action switch
            {
                UserAction.ChangeRole when subject is { Role: Role.Admin } && newRole is { } role && role != Role.Admin =>
                    KeepsAnAdmin(subject, all, $"make {subject.Name} {role}"),
                UserAction.Disable when subject is { Role: Role.Admin } => KeepsAnAdmin(subject, all, $"disable {subject.Name}"),
                _ => Verdict.Yes,
            });

    /// <summary>What the action is, in the words of a refusal ("... may not change roles").</summary>
    public static string Describe(UserAction action) => action switch
    {
        UserAction.List => "list the users",
        UserAction.Create => "add users",
        UserAction.ChangeRole => "change roles",
        UserAction.ResetPassword => "reset passwords",
        UserAction.Unlock => "unlock accounts",
        UserAction.Disable => "disable accounts",
        UserAction.Enable => "enable accounts",
        UserAction.EndSessions => "end other people's sessions",
        _ => action.ToString(),
    };

    private static Verdict KeepsAnAdmin(PortalUser subject, IReadOnlyList<PortalUser> all, string action) =>
        subject.Disabled || all.Any(u => u.Role == Role.Admin && !u.Disabled && u.Id != subject.Id)
            ? Verdict.Yes
            : Verdict.No($"Cannot {action}: {subject.Name} is the only enabled Admin, and nobody could manage users any more. Make someone else Admin first.");
}
