using BotCore.MigrationPortal.Audit;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Checks a name and password against the user store, applies the lockout, and audits every attempt. Does not
/// set the cookie: the sign-in endpoint does, with the user this returns.
/// </summary>
public sealed class PasswordSignIn(
    IUserStore users,
    IPasswordHasher<PortalUser> hasher,
    IAuditLog audit,
    LockoutPolicy lockout,
    TimeProvider time,
    ILogger<PasswordSignIn> logger)
{
    private const string NoRole = "none";

    private static readonly PortalUser Nobody = new() { Name = "nobody", Role = Role.Viewer, PasswordHash = "", CreatedBy = "nobody" };

    /// <param name="from">The client's address, for the audit log.</param>
    public async Task<SignInAttempt> AttemptAsync(string name, string password, string? from, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow().UtcDateTime;
        var user = await users.FindAsync(name, cancellationToken);
        if (user is null)
        {
            // Hashing costs what verifying does: an unknown name answers as slowly as a wrong password.
            hasher.HashPassword(Nobody, password);
            await FailedAsync(Shorten(name), NoRole, "unknown user", from, cancellationToken);
            return SignInAttempt.Failure(SignInError.WrongNameOrPassword);
        }

        if (LockoutPolicy.IsLocked(user, at))
        {
            await FailedAsync(user.Name, user.Role.ToString(), $"account locked until {user.LockedUntil:u}", from, cancellationToken);
            return SignInAttempt.Failure(SignInError.LockedOut, user.LockedUntil);
        }

        if (hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
        {
            var counted = await users.RecordFailedSignInAsync(user.Name, at, lockout, cancellationToken) ?? user;
            var locked = LockoutPolicy.IsLocked(counted, at);
            var reason = $"wrong password (failed attempt {counted.FailedAttempts} of {lockout.MaxFailedAttempts})" +
                (locked ? $", account locked until {counted.LockedUntil:u}" : "");
            await FailedAsync(user.Name, user.Role.ToString(), reason, from, cancellationToken);
            return locked ? SignInAttempt.Failure(SignInError.LockedOut, counted.LockedUntil) : SignInAttempt.Failure(SignInError.WrongNameOrPassword);
        }

        if (user.Disabled)
        {
            await FailedAsync(user.Name, user.Role.ToString(), "account disabled", from, cancellationToken);
            return SignInAttempt.Failure(SignInError.Disabled);
        }

        if (user.FailedAttempts > 0 || user.LockedUntil is not null) await users.ClearFailedSignInsAsync(user.Name, cancellationToken);
        await audit.RecordAsync(new AuditRecord(user.Name, user.Role.ToString(), AuditActions.SignIn, null, null, Details("signed in", from)), cancellationToken);
        logger.LogInformation("{User} ({Role}) signed in from {Address}", user.Name, user.Role, from);
        return SignInAttempt.Success(user with { FailedAttempts = 0, LockedUntil = null });
    }

    private async Task FailedAsync(string name, string role, string reason, string? from, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(new AuditRecord(name, role, AuditActions.SignInFailed, null, null, Details(reason, from)), cancellationToken);
        logger.LogWarning("Sign-in refused for {User} from {Address}: {Reason}", name, from, reason);
    }

    private static string Details(string what, string? from) => from is null ? what : $"{what} from {from}";

    // Whatever is typed as a name reaches the audit log and the logs; a name longer than any user's is cut.
    private static string Shorten(string name) =>
        name.Length <= UserNamePolicy.MaximumLength ? name : name[..UserNamePolicy.MaximumLength] + "…";
}
