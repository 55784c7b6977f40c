using System.Security.Claims;
using BotCore.MigrationPortal.Backups;
using BotCore.MigrationPortal.Runs.Events;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Api;

/// <summary>Backups through the API: the Backups page's own requests (<see cref="BackupRequests"/>, asked <see cref="BackupRules"/>), queued as background jobs.</summary>
public static class BackupEndpoints
{
    public static RouteGroupBuilder MapBackupApi(this RouteGroupBuilder api)
    {
        var backups = api.MapGroup("/backups").WithTags("Backups");
        backups.MapGet("/", ListAsync).WithName("ListBackups").WithSummary("The backups, newest first, optionally of one target.");
        backups.MapPost("/", CreateAsync).WithName("CreateBackup").Produces<ApiOperation>(StatusCodes.Status202Accepted)
            .WithSummary("Queues a backup of a target's whole database; follow the operation's events for its end.");
        backups.MapPost("/{id}/verify", VerifyAsync).WithName("VerifyBackup").Produces<ApiOperation>(StatusCodes.Status202Accepted)
            .WithSummary("Queues the verification of a backup (restored elsewhere and compared); follow the operation's events for its end.");
        backups.MapGet("/operations/{operationId}/events", EventsAsync).WithName("GetBackupOperationEvents")
            .WithSummary("The events of a backup or verification after sequence 'after'.");
        return api;
    }

    private static async Task<IReadOnlyList<ApiBackup>> ListAsync(string? target, IBackupService backups, CancellationToken cancellationToken) =>
        (await backups.ListAsync(cancellationToken)).Where(b => target is null || string.Equals(b.Target, target, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(b => b.CreatedAt).Select(ApiBackup.Of).ToList();

    private static async Task<IResult> CreateAsync(CreateBackupRequest request, BackupRequests requests, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var target = ApiProblems.Required(request.Target, "target");
        return TypedResults.Accepted((string?)null, new ApiOperation(await requests.BackUpDatabaseAsync(ApiCaller.Of(user), target, cancellationToken)));
    }

    private static async Task<IResult> VerifyAsync(string id, BackupRequests requests, IBackupService backups, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (await backups.FindAsync(id, cancellationToken) is null) throw new NotFoundRefusalException($"There is no backup {id}.");
        return TypedResults.Accepted((string?)null, new ApiOperation(await requests.VerifyAsync(ApiCaller.Of(user), id, cancellationToken)));
    }

    private static async Task<ApiOperationEvents> EventsAsync(string operationId, long? after, IRunEventStore events, CancellationToken cancellationToken)
    {
        var since = ApiProblems.After(after);
        var read = await events.ReadAsync(operationId, since, cancellationToken);
        return new ApiOperationEvents(operationId, read.Select(ApiEvent.Of).ToList(), read.Count == 0 ? since : read[^1].Sequence);
    }
}
