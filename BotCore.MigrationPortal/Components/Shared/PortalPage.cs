using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BotCore.MigrationPortal.Components.Shared;

/// <summary>
/// What every interactive page needs: the signed-in session as a <see cref="Caller"/> for the services (which read the person
/// from the store at the moment of each act), the person as last read to decide what to show, a token cancelled when the page
/// goes away, and a way to run a person's action so that an expected refusal becomes a message, not an error page.
/// </summary>
public abstract class PortalPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource closed = new();

    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    protected CancellationToken Closed => closed.Token;

    /// <summary>
    /// The person as last read, only for what the page shows (actions pass <see cref="CallerAsync"/> to the services); null once a
    /// read found the session ended, so that the page offers nothing more until it turns to the sign-in page.
    /// </summary>
    protected Actor? Actor { get; private set; }

    /// <summary>Reads the signed-in person from the store again (never a value kept from when the page opened).</summary>
    /// <exception cref="ActionRefusedException">The session no longer holds; <see cref="Actor"/> is null from then on.</exception>
    protected async Task<Actor> ActorAsync()
    {
        try
        {
            return Actor = await CurrentActor.GetAsync(Closed);
        }
        catch (ActionRefusedException)
        {
            Actor = null;
            throw;
        }
    }

    protected Task<Caller> CallerAsync() => CurrentActor.CallerAsync();

    /// <returns>Whether the action succeeded.</returns>
    protected async Task<bool> TryAsync(Func<Task> action, string? success = null)
    {
        try
        {
            await action();
            if (success is not null) Snackbar.Add(success, Severity.Success);
            return true;
        }
        catch (MigrationEngineException e)
        {
            Snackbar.Add(e.Message, Severity.Error, options => options.RequireInteraction = true);
            return false;
        }
    }

    public virtual void Dispose()
    {
        closed.Cancel();
        closed.Dispose();
        GC.SuppressFinalize(this);
    }
}
