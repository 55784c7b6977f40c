using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security.Sessions;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Everything the Users page does, authorised at the moment of the act by <see cref="UserRules"/> with the caller read from
/// the store then, and audited (never a password). A change of role, password or enablement, and "end sessions", give the
/// user a new security stamp: every session of theirs ends, on every portal instance, within seconds.
/// </summary>
public sealed class UserAdministration(
    IUserStore users,
    ActionAuthorizer authorizer,
    SessionValidator sessions,
    IPasswordHasher<PortalUser> hasher,
    IAuditLog audit,
    TimeProvider time,
    ILogger<UserAdministration> logger)
{
    public async Task<IReadOnlyList<PortalUser>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        var all = await users.ListAsync(cancellationToken);
        await AuthorizeAsync(caller, UserAction.List, null, all, null, cancellationToken);
        return all;
    }

    public async Task<PortalUser> CreateAsync(Caller caller, NewUserRequest request, CancellationToken cancellationToken)
    {
        var actor = await AuthorizeAsync(caller, UserAction.Create, null, [], null, cancellationToken);
        var user = await AddAsync(users, audit, hasher, actor, request, time.GetUtcNow().UtcDateTime, cancellationToken);
        logger.LogInformation("{Actor} added {User} as {Role}", actor.Name, user.Name, user.Role);
        return user;
    }

    /// <summary>
    /// Adds a user by the rules every door applies (name, role, password policy; names unique regardless of case) and audits
    /// it. The Users page reaches it through <see cref="CreateAsync"/>; the CLI's <c>users add</c>, which acts as an Admin
    /// of the store it was given, directly.
    /// </summary>
    /// <exception cref="ActionRefusedException">The name, role or password is not acceptable, or the name is taken.</exception>
    public static async Task<PortalUser> AddAsync(IUserStore users, IAuditLog audit, IPasswordHasher<PortalUser> hasher, Actor actor, NewUserRequest request,
        DateTime at, CancellationToken cancellationToken)
    {
        var (user, problem) = PortalUserFactory.Create(request.Name, request.Role, request.Password, actor.Name, at, hasher);
        if (user is null) throw new ActionRefusedException(problem!);
        if (!await users.TryInsertAsync(user, cancellationToken)) throw NameTaken(request.Name);
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.UserCreated, $"added {user.Name} as {user.Role}"), cancellationToken);
        return user;
    }

    public async Task<PortalUser> ChangeRoleAsync(Caller caller, string name, Role role, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(role)) throw new ActionRefusedException($"Unknown role {role}. Roles: {RoleNames.All}.");
        var (actor, user) = await SubjectAsync(caller, UserAction.ChangeRole, name, role, cancellationToken);
        if (user.Role == role) return user;
        var changed = user with { Role = role, SecurityStamp = PortalUser.NewSecurityStamp() };
        await users.ReplaceAsync(changed, cancellationToken);
        await ChangedAsync(actor, user.Name, AuditActions.UserChanged, $"{user.Name}: role {user.Role} → {role}; their sessions ended", cancellationToken);
        return changed;
    }

    public async Task<PortalUser> ResetPasswordAsync(Caller caller, string name, string password, CancellationToken cancellationToken)
    {
        var (actor, user) = await SubjectAsync(caller, UserAction.ResetPassword, name, null, cancellationToken);
        if (PasswordPolicy.Problem(password, user.Name) is { } problem) throw new ActionRefusedException(problem);
        var changed = user with { PasswordHash = hasher.HashPassword(user, password), SecurityStamp = PortalUser.NewSecurityStamp() };
        await users.ReplaceAsync(changed, cancellationToken);
        await ChangedAsync(actor, user.Name, AuditActions.UserChanged, $"{user.Name}: password reset; their sessions ended", cancellationToken);
        return changed;
    }

    public async Task<PortalUser> UnlockAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var (actor, user) = await SubjectAsync(caller, UserAction.Unlock, name, null, cancellationToken);
        if (user.FailedAttempts == 0 && user.LockedUntil is null) return user;
        await users.ClearFailedSignInsAsync(user.Name, cancellationToken);
        var state = LockoutPolicy.IsLocked(user, time.GetUtcNow().UtcDateTime) ? $"locked until {user.LockedUntil:u}" : "not locked";
        var failures = user.FailedAttempts == 1 ? "1 failed sign-in" : $"{user.FailedAttempts} failed sign-ins";
        await ChangedAsync(actor, user.Name, AuditActions.UserChanged, $"{user.Name}: unlocked ({state}, {failures} forgotten)", cancellationToken);
        return user with { FailedAttempts = 0, LockedUntil = null, FailingClients = [] };
    }

    public async Task<PortalUser> SetDisabledAsync(Caller caller, string name, bool disabled, CancellationToken cancellationToken)
    {
        var (actor, user) = await SubjectAsync(caller, disabled ? UserAction.Disable : UserAction.Enable, name, null, cancellationToken);
        if (user.Disabled == disabled) return user;
        var changed = user with { Disabled = disabled, SecurityStamp = PortalUser.NewSecurityStamp() };
        await users.ReplaceAsync(changed, cancellationToken);
        await ChangedAsync(actor, user.Name, AuditActions.UserChanged, $"{user.Name}: {(disabled ? "disabled; their sessions ended" : "enabled")}", cancellationToken);
        return changed;
    }

    /// <summary>Ends every session of a user (a lost laptop, a shared screen), without changing anything else.</summary>
    public async Task<PortalUser> EndSessionsAsync(Caller caller, string name, CancellationToken cancellationToken)
    {
        var (actor, user) = await SubjectAsync(caller, UserAction.EndSessions, name, null, cancellationToken);
        await users.RotateSecurityStampAsync(user.Name, cancellationToken);
        await ChangedAsync(actor, user.Name, AuditActions.SessionsEnded, $"ended every session of {user.Name}", cancellationToken);
        return user;
    }

    public static ActionRefusedException NameTaken(string name) =>
        new($"A user named '{name}' already exists (names are compared without regard to case).");

    private async Task<(Actor Actor, PortalUser User)> SubjectAsync(Caller caller, UserAction action, string name, Role? newRole, CancellationToken cancellationToken)
    {
        var all = await users.ListAsync(cancellationToken);
        var subject = all.FirstOrDefault(u => u.Id == name.ToLowerInvariant());
        // Authorised first: someone who may not manage users learns nothing about which names exist.
        var actor = await AuthorizeAsync(caller, action, subject, all, newRole, cancellationToken);
        return (actor, subject ?? throw new ActionRefusedException($"There is no user named '{name}': reload the page."));
    }

    private Task<Actor> AuthorizeAsync(Caller caller, UserAction action, PortalUser? subject, IReadOnlyList<PortalUser> all, Role? newRole,
        CancellationToken cancellationToken) =>
        authorizer.AuthorizeAsync(caller, UserRules.Describe(action) + (subject is null ? "" : $" ({subject.Name})"),
            actor => UserRules.Check(action, actor, subject, all, newRole), cancellationToken);

    private async Task ChangedAsync(Actor actor, string subject, string action, string details, CancellationToken cancellationToken)
    {
        // Whatever changed, this instance's requests see the user as stored now, not as checked a moment ago.
        sessions.ForgetUser(subject);
        await audit.RecordAsync(AuditRecord.By(actor, action, details), cancellationToken);
        logger.LogInformation("{Actor} changed users: {Details}", actor.Name, details);
    }
}
