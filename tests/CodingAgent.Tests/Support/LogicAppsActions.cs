using System.Net;
using System.Net.Http.Json;

namespace CodingAgent.Tests.Support;

/// <summary>
/// Clients that behave like Logic Apps' built-in actions: the HTTP action (async request-reply: on 202 it waits
/// <c>Retry-After</c>, GETs <c>Location</c>, and stops at the first answer that is not 202) and the HTTP Webhook
/// action (subscribe with its callback URL, wait for the callback, unsubscribe).
/// </summary>
public static class LogicAppsActions
{
    /// <summary>The HTTP action's final answer, with the number of polls it took.</summary>
    public static async Task<(HttpResponseMessage Final, int Polls)> HttpActionAsync(HttpClient http, HttpRequestMessage request, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        using CancellationTokenSource limit = new(timeout);
        HttpResponseMessage response = await http.SendAsync(request, limit.Token);
        int polls = 0;
        while (response.StatusCode == HttpStatusCode.Accepted)
        {
            Uri location = response.Headers.Location ?? throw new InvalidOperationException("A 202 without Location: Logic Apps would stop here.");
            Assert.True(location.IsAbsoluteUri, "Logic Apps needs an absolute Location.");
            TimeSpan wait = response.Headers.RetryAfter?.Delta ?? throw new InvalidOperationException("A 202 without Retry-After.");
            response.Dispose();
            await Task.Delay(wait, limit.Token);
            using HttpRequestMessage poll = new(HttpMethod.Get, location);
            foreach ((string name, IEnumerable<string> values) in request.Headers.Where(h => h.Key == "Authorization"))
            {
                poll.Headers.TryAddWithoutValidation(name, values);
            }

            response = await http.SendAsync(poll, limit.Token);
            polls++;
        }

        return (response, polls);
    }

    /// <summary>The webhook action's subscribe call: POST <c>{"callbackUrl": …}</c> to the subscribe URI.</summary>
    public static Task<HttpResponseMessage> SubscribeAsync(HttpClient http, string subscribeUri, Uri callbackUrl, string? until = null) =>
        http.PostAsJsonAsync(subscribeUri, until is null ? new { callbackUrl } : (object)new { callbackUrl, until });
}
