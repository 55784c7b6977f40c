using BotCore.MigrationPortal.Audit;
using Microsoft.AspNetCore.Identity;

namespace BotCore.MigrationPortal.Security;

/// <summary>
/// Checks a name and password against the user store, applies the lockout, and audits every attempt (never the password).
/// Every attempt does the same work, whatever its outcome: one password verification (against <see cref="UnknownUserHash"/>
/// for an unknown name) and one failure count in the store (which finds no one for an unknown name), and every failure
/// gets the same answer, so that neither the answer nor its timing tells whether a name exists, whether the account is
/// locked or disabled, or whether the password was right. Does not set the cookie: the sign-in endpoint does.
/// </summary>
public sealed class PasswordSignIn(
    IUserStore users,
    IPasswordHasher<PortalUser> hasher,
    UnknownUserHash unknown,
    IAuditLog audit,
    LockoutPolicy lockout,
    TimeProvider time,
    ILogger<PasswordSignIn> logger)
{
    private const string NoRole = "none";

    /// <param name="client">The client's address: the audit log names it, and a lock holds only for the addresses that failed.</param>
    public async Task<SignInAttempt> AttemptAsync(string name, string password, string client, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow().UtcDateTime;
        var user = UserNamePolicy.Problem(name) is null ? await users.FindAsync(name, cancellationToken) : null;
        var passwordRight = hasher.VerifyHashedPassword(user ?? UnknownUserHash.Nobody, user?.PasswordHash ?? unknown.Hash, password)
            != PasswordVerificationResult.Failed;

        if (user is null)
        {
            await users.RecordFailedSignInAsync(name, client, at, lockout, cancellationToken);
            return await FailedAsync(Shorten(name), NoRole, "unknown user", client, cancellationToken);
        }
        if (LockoutPolicy.IsLockedFor(user, client, at))
        {
            await users.RecordFailedSignInAsync(user.Name, client, at, lockout, cancellationToken);
            return await FailedAsync(user.Name, user.Role.ToString(), $"account locked for {client} until {user.LockedUntil:u}", client, cancellationToken);
        }
        if (!passwordRight)
        {
            var counted = await users.RecordFailedSignInAsync(user.Name, client, at, lockout, cancellationToken) ?? user;
            var reason = $"wrong password (failed attempt {counted.FailedAttempts} of {lockout.MaxFailedAttempts})" +
                (LockoutPolicy.IsLocked(counted, at) ? $", account locked for the failing addresses until {counted.LockedUntil:u}" : "");
            return await FailedAsync(user.Name, user.Role.ToString(), reason, client, cancellationToken);
        }
        if (user.Disabled)
        {
            return await FailedAsync(user.Name, user.Role.ToString(), "account disabled", client, cancellationToken);
        }

        // A lock stays while it lasts: the owner signing in from another address does not reopen the account to the guesser.
        var locked = LockoutPolicy.IsLocked(user, at);
        if (!locked && (user.FailedAttempts > 0 || user.FailingClients.Count > 0)) await users.ClearFailedSignInsAsync(user.Name, cancellationToken);
        await audit.RecordAsync(new AuditRecord(user.Name, user.Role.ToString(), AuditActions.SignIn, null, null,
            $"signed in from {client}" + (locked ? $" while the account is locked for {string.Join(", ", user.FailingClients)}" : "")), cancellationToken);
        logger.LogInformation("{User} ({Role}) signed in from {Address}", user.Name, user.Role, client);
        return SignInAttempt.Success(user);
    }

    private async Task<SignInAttempt> FailedAsync(string name, string role, string reason, string client, CancellationToken cancellationToken)
    {
        await audit.RecordAsync(new AuditRecord(name, role, AuditActions.SignInFailed, null, null, $"{reason} from {client}"), cancellationToken);
        logger.LogWarning("Sign-in refused for {User} from {Address}: {Reason}", name, client, reason);
        return SignInAttempt.Failure;
    }

    // Whatever is typed as a name reaches the audit log and the logs; a name longer than any user's is cut.
    private static string Shorten(string name) =>
        name.Length <= UserNamePolicy.MaximumLength ? name : name[..UserNamePolicy.MaximumLength] + "…";
}
