using CodingAgent.Application;
using CodingAgent.Configuration;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace CodingAgent.SelfHost.Jobs;

/// <summary>The self-host's run of the janitor the Functions app runs on a timer trigger (functions/SandboxJanitorFunction).</summary>
internal sealed partial class SandboxJanitorService(
    SandboxJanitor janitor, RunReconciler reconciler, DurableTaskClient durable, IOptions<SandboxOptions> options, ILogger<SandboxJanitorService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        int seconds = options.Value.JanitorIntervalSeconds;
        if (seconds <= 0)
        {
            return;
        }

        using PeriodicTimer timer = new(TimeSpan.FromSeconds(seconds));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await reconciler.ReconcileAsync(durable, stoppingToken).ConfigureAwait(false);
                await janitor.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The sandbox janitor's sweep failed; it tries again at the next interval")]
    private partial void LogSweepFailed(Exception exception);
}
