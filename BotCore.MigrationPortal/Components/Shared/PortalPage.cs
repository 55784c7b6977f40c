using BotCore.MigrationPortal.Engine;
using BotCore.MigrationPortal.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace BotCore.MigrationPortal.Components.Shared;

/// <summary>
/// What every interactive page needs: the signed-in actor (role read from the store), a token cancelled when the
/// page goes away, and a way to run a person's action so that an expected refusal becomes a message, not an error page.
/// </summary>
public abstract class PortalPage : ComponentBase, IDisposable
{
    private readonly CancellationTokenSource closed = new();

    [Inject] private CurrentActor CurrentActor { get; set; } = default!;
    [Inject] protected ISnackbar Snackbar { get; set; } = default!;

    protected CancellationToken Closed => closed.Token;

    protected Actor? Actor { get; private set; }

    protected async Task<Actor> ActorAsync() => Actor ??= await CurrentActor.GetAsync(Closed);

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
