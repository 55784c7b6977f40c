using BotCore.MigrationPortal.Cli;
using BotCore.MigrationPortal.Hosting;

if (CliApplication.IsCliInvocation(args))
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await CliApplication.RunAsync(args, new CliConsole(Console.Out, Console.Error, !Console.IsOutputRedirected), cancellationToken: cancel.Token);
}

var app = await PortalHost.BuildAsync(args);
await app.RunAsync();
return 0;

public partial class Program;
