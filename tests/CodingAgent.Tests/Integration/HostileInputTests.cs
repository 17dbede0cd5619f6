using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodingAgent.Tests.Support;

namespace CodingAgent.Tests.Integration;

/// <summary>
/// Bad input of any kind gets a clear 4xx and changes nothing. Every case of <c>Data/hostile-inputs.json</c> is
/// sent to a real self-host; it must answer the expected status with a problem document (stable code, status,
/// correlation id, no stack trace), and the storage must read the same before and after.
/// </summary>
[Collection(IntegrationCollection.Name)]
public sealed partial class HostileInputTests(HostileInputFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<HostileInputFixture>
{
    public static TheoryData<string> Cases => [.. HostileCorpus.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public Task HostileRequest_AnswersProblem_AndChangesNoStorage(string name) => SendAndCheckAsync(HostileCorpus.Get(name));

    private async Task SendAndCheckAsync(HostileCase hostile)
    {
        StorageSnapshot before = await fixture.SnapshotAsync();

        using HttpRequestMessage request = fixture.Requests.Build(hostile);
        using HttpResponseMessage response = await fixture.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);

        // A success may be an endless event stream: never read its body.
        Assert.False(response.IsSuccessStatusCode, $"{hostile.Method} {hostile.Path} answered {(int)response.StatusCode}, expected {hostile.ExpectStatus}.");
        string text = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{(int)response.StatusCode} {response.Content.Headers.ContentType}\n{text}");
        Assert.True(hostile.ExpectStatus == (int)response.StatusCode,
            $"{hostile.Method} {hostile.Path} answered {(int)response.StatusCode}, expected {hostile.ExpectStatus}: '{text}'\n{fixture.HostOutput}");
        if (hostile.RejectedByServer is null)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            JsonNode problem = JsonNode.Parse(text) ?? throw new InvalidOperationException("The problem document is empty.");
            Assert.Equal(hostile.ExpectCode, (string?)problem["code"]);
            Assert.Equal(hostile.ExpectStatus, (int?)problem["status"]);
            Assert.False(string.IsNullOrWhiteSpace((string?)problem["correlationId"]), $"No correlationId: {text}");
        }

        Assert.DoesNotMatch(StackTraceText(), text);

        StorageSnapshot after = await fixture.SnapshotAsync();
        IReadOnlyList<string> changes = before.DifferencesTo(after);
        Assert.True(changes.Count == 0, $"The storage changed:\n{string.Join('\n', changes)}");
    }

    // A frame ("   at Type.Method(") or a .NET exception type name.
    [GeneratedRegex(@"\bat [\w.`<>]+\(|\b\w+Exception\b|\.cs:line \d+")]
    private static partial Regex StackTraceText();
}
