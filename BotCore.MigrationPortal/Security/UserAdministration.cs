using BotCore.MigrationPortal.Audit;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Everything the Users page does, checked here on the server: only an Admin may, the last enabled Admin cannot be
/// demoted or disabled (nobody could manage users any more), and every change is audited — never a password.
/// </summary>
public sealed class UserAdministration(
    IUserStore users,
    IPasswordHasher<PortalUser> hasher,
    IAuditLog audit,
    TimeProvider time,
    ILogger<UserAdministration> logger)
{
    public async Task<IReadOnlyList<PortalUser>> ListAsync(Actor actor, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, "list the users");
        return await users.ListAsync(cancellationToken);
    }

    public async Task<PortalUser> CreateAsync(Actor actor, NewUserRequest request, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, "add users");
        var (user, problem) = PortalUserFactory.Create(request.Name, request.Role, request.Password, actor.Name, time.GetUtcNow().UtcDateTime, hasher);
        if (user is null) throw new ActionRefusedException(problem!);
        if (!await users.TryInsertAsync(user, cancellationToken)) throw NameTaken(request.Name);
        await AuditAsync(actor, AuditActions.UserCreated, $"added {user.Name} as {user.Role}", cancellationToken);
        return user;
    }

    public async Task<PortalUser> ChangeRoleAsync(Actor actor, string name, Role role, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, "change roles");
        if (!Enum.IsDefined(role)) throw new ActionRefusedException($"Unknown role {role}. Roles: {RoleNames.All}.");
        var user = await GetAsync(name, cancellationToken);
        if (user.Role == role) return user;
        if (user.Role == Role.Admin) await RequireAnotherEnabledAdminAsync(user, $"make {user.Name} {role}", cancellationToken);
        var changed = user with { Role = role };
        await users.ReplaceAsync(changed, cancellationToken);
        await AuditAsync(actor, AuditActions.UserChanged, $"{user.Name}: role {user.Role} → {role}", cancellationToken);
        return changed;
    }

    public async Task<PortalUser> ResetPasswordAsync(Actor actor, string name, string password, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, "reset passwords");
        if (PasswordPolicy.Problem(password) is { } problem) throw new ActionRefusedException(problem);
        var user = await GetAsync(name, cancellationToken);
        var changed = user with { PasswordHash = hasher.HashPassword(user, password) };
        await users.ReplaceAsync(changed, cancellationToken);
        await AuditAsync(actor, AuditActions.UserChanged, $"{user.Name}: password reset", cancellationToken);
        return changed;
    }

    public async Task<PortalUser> UnlockAsync(Actor actor, string name, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, "unlock accounts");
        var user = await GetAsync(name, cancellationToken);
        if (user.FailedAttempts == 0 && user.LockedUntil is null) return user;
        await users.ClearFailedSignInsAsync(user.Name, cancellationToken);
        var state = LockoutPolicy.IsLocked(user, time.GetUtcNow().UtcDateTime) ? $"locked until {user.LockedUntil:u}" : "not locked";
        await AuditAsync(actor, AuditActions.UserChanged,
            $"{user.Name}: unlocked ({state}, {user.FailedAttempts} failed sign-in(s) forgotten)", cancellationToken);
        return user with { FailedAttempts = 0, LockedUntil = null };
    }

    public async Task<PortalUser> SetDisabledAsync(Actor actor, string name, bool disabled, CancellationToken cancellationToken)
    {
        actor.Require(Role.Admin, disabled ? "disable accounts" : "enable accounts");
        var user = await GetAsync(name, cancellationToken);
        if (user.Disabled == disabled) return user;
        if (disabled && user.Role == Role.Admin) await RequireAnotherEnabledAdminAsync(user, $"disable {user.Name}", cancellationToken);
        var changed = user with { Disabled = disabled };
        await users.ReplaceAsync(changed, cancellationToken);
        await AuditAsync(actor, AuditActions.UserChanged, $"{user.Name}: {(disabled ? "disabled" : "enabled")}", cancellationToken);
        return changed;
    }

    private async Task<PortalUser> GetAsync(string name, CancellationToken cancellationToken) =>
        await users.FindAsync(name, cancellationToken) ?? throw new ActionRefusedException($"There is no user named '{name}': reload the page.");

    private async Task RequireAnotherEnabledAdminAsync(PortalUser user, string action, CancellationToken cancellationToken)
    {
        if (user.Disabled) return;
        var all = await users.ListAsync(cancellationToken);
        if (!all.Any(u => u.Role == Role.Admin && !u.Disabled && u.Id != user.Id))
        {
            throw new ActionRefusedException($"Cannot {action}: {user.Name} is the only enabled Admin, and nobody could manage users any more. Make someone else Admin first.");
        }
    }

    public static ActionRefusedException NameTaken(string name) =>
        new($"A user named '{name}' already exists (names are compared without regard to case).");

    private async Task AuditAsync(Actor actor, string action, string details, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(AuditRecord.By(actor, action, details), cancellationToken);
        logger.LogInformation("{Actor} changed users: {Details}", actor.Name, details);
    }
}
