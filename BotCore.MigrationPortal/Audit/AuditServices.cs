using System.Globalization;
using System.Text;
using BotCore.MigrationPortal.Hosting;
using BotCore.MigrationPortal.Security;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BotCore.MigrationPortal.Audit;

public static class AuditServices
{
    // With a byte order mark, spreadsheet programs read the export as UTF-8 instead of the local code page.
    private static readonly Encoding CsvEncoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    public static IServiceCollection AddAuditLog(this IServiceCollection services, PortalMode mode)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (mode.IsSandbox) services.AddSingleton<IAuditStore, InMemoryAuditStore>();
        else services.AddSingleton<IAuditStore>(provider => new MongoAuditStore(provider.GetRequiredService<PortalDatabase>().Database));
        services.AddSingleton<IAuditLog, HashChainedAuditLog>();
        services.AddSingleton<AuditVerifier>();
        return services;
    }

    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/audit/export.csv", ExportCsv).RequireAuthorization();
        return endpoints;
    }

    /// <summary>
    /// The entries the page shows for the same filters (every page of them), newest first; 400 for dates it cannot use. Taking a
    /// copy of the audit log is itself audited, with who took it and which entries.
    /// </summary>
    private static async Task<IResult> ExportCsv(string? user, string[]? action, string? target, string? run, string? from, string? to, HttpContext context,
        IAuditStore store, IAuditLog audit, ActionAuthorizer authorizer, TimeProvider time, CancellationToken cancellationToken)
    {
        var (filter, problem) = AuditFilter.FromQuery(user, action, target, run, from, to);
        if (filter is null) return Results.Problem(title: "The audit log cannot be exported with these dates.", detail: problem, statusCode: StatusCodes.Status400BadRequest);
        var actor = await authorizer.ActorAsync(PortalPrincipal.CallerOf(context.User), "export the audit log", cancellationToken);
        var which = filter.ToQueryString() is { Length: > 0 } query ? $"entries matching {query}" : "every entry";
        await audit.RecordAsync(AuditRecord.By(actor, AuditActions.AuditExported, $"exported {which} as CSV"), cancellationToken);
        var fileName = $"audit-log-{time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}.csv";
        return Results.Stream(async body =>
        {
            await using var writer = new StreamWriter(body, CsvEncoding, leaveOpen: true);
            await AuditCsv.WriteAsync(store.ReadFilteredAsync(filter, cancellationToken), writer, cancellationToken);
        }, "text/csv; charset=utf-8", fileName);
    }
}
