using BotCore.MigrationPortal.Cli;

if (CliApplication.IsCliInvocation(args))
{
    using var cancel = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        cancel.Cancel();
    };
    return await CliApplication.RunAsync(args, new CliConsole(Console.Out, Console.Error), cancellationToken: cancel.Token);
}

Console.WriteLine("The web portal comes next.");
return 0;

public partial class Program;
