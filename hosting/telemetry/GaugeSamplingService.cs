using CodingAgent.Application.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CodingAgent.Hosting.Telemetry;

/// <summary>Refreshes the deployment-wide gauges once a minute while telemetry is exported.</summary>
internal sealed partial class GaugeSamplingService(OperationalGauges gauges, ILogger<GaugeSamplingService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using PeriodicTimer timer = new(Interval);
        do
        {
            try
            {
                await gauges.SampleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogSampleFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling the sessions and command queue gauges failed; the next minute tries again.")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
