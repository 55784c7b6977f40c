using Microsoft.OpenApi;

namespace BotCore.MigrationPortal.Api;

/// <summary>One operation of the OpenAPI document, as the API reference page lists it.</summary>
public sealed record ApiOperationEntry(string Tag, string Method, string Path, string? Summary, string? Id);

public static class ApiOperations
{
    /// <summary>The document's operations, by tag, then path, then method.</summary>
    public static IReadOnlyList<ApiOperationEntry> From(OpenApiDocument document) =>
        (document.Paths ?? [])
            .SelectMany(path => (path.Value.Operations ?? []).Select(op => new ApiOperationEntry(
                op.Value.Tags?.FirstOrDefault()?.Name ?? "Other", op.Key.Method, path.Key, op.Value.Summary, op.Value.OperationId)))
            .OrderBy(o => o.Tag, StringComparer.Ordinal).ThenBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();
}
