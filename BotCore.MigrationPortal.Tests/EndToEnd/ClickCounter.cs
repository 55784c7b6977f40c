using Microsoft.Playwright;

namespace BotCore.MigrationPortal.Tests.EndToEnd;

/// <summary>
/// Counts the clicks a person makes in one browser context, as the page sees them (trusted click events, on every page of the
/// context, whatever clicked: a test helper, a dialog's confirm, a link), so that "how many clicks does this take" is measured.
/// </summary>
internal sealed class ClickCounter
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public static async Task<ClickCounter> AttachAsync(IBrowserContext context)
    {
        var counter = new ClickCounter();
        await context.ExposeFunctionAsync("__botcoreClick", () => { Interlocked.Increment(ref counter.count); });
        await context.AddInitScriptAsync("document.addEventListener('click', e => { if (e.isTrusted) window.__botcoreClick(); }, true);");
        return counter;
    }
}
