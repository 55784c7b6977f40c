using BotCore.MigrationPortal.Doctor;
using BotCore.MigrationPortal.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BotCore.MigrationPortal.Tests.Unit.Doctor;

/// <summary>The portal checks each configured target once at start-up, in the background, composed by the portal's own registration.</summary>
public sealed class DoctorAtStartupTests
{
    [Fact]
    public async Task Start_up_returns_at_once_and_every_target_gets_its_check_up()
    {
        var token = Xunit.TestContext.Current.CancellationToken;
        await using var services = new ServiceCollection().AddTestPortal().BuildServiceProvider();
        var startup = services.GetServices<IHostedService>().OfType<DoctorAtStartup>().Single();
        var results = services.GetRequiredService<DoctorResults>();

        await startup.StartAsync(token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (new[] { "dev", "staging", "production", "legacy" }.Any(t => results.LastOf(t) is null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, token);
        }
        await startup.StopAsync(token);

        foreach (var target in new[] { "dev", "staging", "production", "legacy" })
        {
            var report = results.LastOf(target);
            Assert.NotNull(report);
            Assert.Equal((DoctorAtStartup.CheckedBy, 9, DoctorOutcome.Pass), (report.CheckedBy, report.Lines.Count, report.Worst));
        }
    }
}
