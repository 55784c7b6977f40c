using System.Text.RegularExpressions;
using BotCore.MigrationPortal.Audit;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Runs;

/// <summary>
/// The audit of what an Admin changes in the Hangfire dashboard (requeue, delete, enqueue, trigger). Only posts that act are
/// audited: the dashboard's page also posts, every few seconds, to read its statistics, which would bury the audit log.
/// What a post names is the poster's to choose, so the job ids reach the audit line bounded and as id characters only.
/// </summary>
public static partial class JobDashboardAudit
{
    /// <summary>At most this many job ids are named in one entry; the others are counted.</summary>
    public const int NamedJobs = 20;

    /// <summary>Hangfire's job ids are a few dozen characters at most; anything longer is cut.</summary>
    public const int IdLength = 64;

    /// <summary>A command's path is a few words and at most one job id.</summary>
    private const int PathLength = 128;

    // Hangfire 1.8's commands: /jobs/{state}/{delete|requeue|enqueue} (selected jobs), /jobs/actions/{delete|requeue}/{id} (a
    // job's page) and /recurring/{remove|trigger|...}. Every other post (/stats, a page) only reads.
    [GeneratedRegex("^/(jobs/[a-z]+/(delete|requeue|enqueue)|jobs/actions/(delete|requeue)/.+|recurring/[a-z]+)$")]
    private static partial Regex Command();

    [GeneratedRegex("[^A-Za-z0-9._:/-]")]
    private static partial Regex NotAnIdCharacter();

    /// <summary>Whether the dashboard just carried out a command that changes jobs.</summary>
    public static bool Acted(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method) && context.Response.StatusCode < 400
        && context.Request.Path.StartsWithSegments(RunServices.DashboardPath, out var command) && Command().IsMatch(command.Value ?? "");

    public static async Task RecordAsync(HttpContext context)
    {
        // Hangfire has read the form already; this reads its cached copy.
        var ids = context.Request.HasFormContentType && (await context.Request.ReadFormAsync(context.RequestAborted)).TryGetValue("jobs[]", out var posted)
            ? posted.ToArray()
            : [];
        var user = context.User.Identity?.Name ?? "unknown";
        await context.RequestServices.GetRequiredService<IAuditLog>().RecordAsync(new AuditRecord(user, PortalPrincipal.RoleOf(context.User)?.ToString() ?? "none",
            AuditActions.JobDashboardAction, null, null, Describe(context.Request.Path, ids)), CancellationToken.None);
    }

    /// <summary>The audit line: the command's path and the first <see cref="NamedJobs"/> job ids, each cut and reduced to id characters.</summary>
    public static string Describe(PathString path, IReadOnlyList<string?> jobIds)
    {
        var more = jobIds.Count > NamedJobs ? $" and {jobIds.Count - NamedJobs} more" : "";
        var jobs = jobIds.Count == 0 ? "" : $" (jobs {string.Join(", ", jobIds.Take(NamedJobs).Select(id => Safe(id, IdLength)))}{more})";
        return $"{Safe(path.Value, PathLength)}{jobs} in the job dashboard";
    }

    private static string Safe(string? value, int length)
    {
        var shown = NotAnIdCharacter().Replace(value ?? "", "_");
        return shown.Length <= length ? shown : shown[..length] + "…";
    }
}
