using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Engine.Leases;
using BotCore.MigrationPortal.Engine.Ports;
using BotCore.MigrationPortal.Security;

namespace BotCore.MigrationPortal.Api;

/// <summary>A request field that is missing or wrong: answered 400 with the field named (<see cref="ApiProblems"/>).</summary>
public sealed class ApiFieldException(string field, string message) : BadInputException(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// The API's errors as RFC 9457 problem details, from the portal's own exceptions, whose messages are written for the person
/// reading them: a refusal is 403 with the rule's sentence, a missing run 404, a stale revision or a busy target 409, a bad
/// field 400 naming it, an unreachable target or portal store 503.
/// </summary>
public static class ApiProblems
{
    /// <summary>Turns the portal's expected failures into problems; anything else is a bug and goes to the exception handler.</summary>
    public static EndpointFilterDelegate Filter(EndpointFilterFactoryContext _, EndpointFilterDelegate next) => async context =>
    {
        try
        {
            return await next(context);
        }
        catch (MigrationEngineException e)
        {
            return For(e);
        }
    };

    public static IResult For(MigrationEngineException e) => e switch
    {
        ApiFieldException field => Results.ValidationProblem(new Dictionary<string, string[]> { [field.Field] = [field.Message] }, detail: field.Message,
            title: $"Bad input: {field.Field}"),
        NotFoundRefusalException => Problem(StatusCodes.Status404NotFound, "Not found", e),
        ConflictRefusalException or TargetLockedException => Problem(StatusCodes.Status409Conflict, "Conflict", e),
        ActionRefusedException => Problem(StatusCodes.Status403Forbidden, "Refused", e),
        TargetUnreachableException => Problem(StatusCodes.Status503ServiceUnavailable, "Target unreachable", e),
        Hosting.PortalStoreUnavailableException => Problem(StatusCodes.Status503ServiceUnavailable, "Portal store unavailable", e),
        BadInputException => Problem(StatusCodes.Status400BadRequest, "Bad input", e),
        _ => Problem(StatusCodes.Status409Conflict, "Not possible now", e),
    };

    /// <exception cref="ApiFieldException">The field is missing.</exception>
    public static T Required<T>(T? value, string field) where T : class =>
        value ?? throw new ApiFieldException(field, $"'{field}' is required.");

    /// <exception cref="ApiFieldException">The field is missing.</exception>
    public static T Required<T>(T? value, string field) where T : struct =>
        value ?? throw new ApiFieldException(field, $"'{field}' is required.");

    /// <exception cref="ApiFieldException">The field is missing or not a version this portal knows the shape of (1.3.0).</exception>
    public static SchemaVersion Version(string? text, string field) =>
        SchemaVersion.TryParse(Required(text, field), out var version)
            ? version
            : throw new ApiFieldException(field, $"'{field}' must be a version such as 1.3.0, not '{text}'.");

    /// <returns>The sequence to read events after: 0 when absent.</returns>
    /// <exception cref="ApiFieldException">It is negative.</exception>
    public static long After(long? after) =>
        after is < 0 ? throw new ApiFieldException("after", $"'after' is a sequence number from 0, not {after}.") : after ?? 0;

    private static IResult Problem(int status, string title, Exception e) => Results.Problem(statusCode: status, title: title, detail: e.Message);
}
