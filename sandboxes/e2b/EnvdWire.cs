using System.Text.Json.Serialization;

namespace CodingAgent.Sandboxes.E2B;

// envd's process RPC messages in proto3 JSON (docs/e2b.md §6.2–6.3): lowerCamelCase names, zero values omitted, bytes as base64.

internal sealed record ProcessConfig(
    [property: JsonPropertyName("cmd")] string Cmd,
    [property: JsonPropertyName("args")] IReadOnlyList<string> Args,
    [property: JsonPropertyName("envs")] IReadOnlyDictionary<string, string>? Envs,
    [property: JsonPropertyName("cwd")] string? Cwd);

internal sealed record StartRequest(
    [property: JsonPropertyName("process")] ProcessConfig Process,
    [property: JsonPropertyName("tag")] string? Tag,
    [property: JsonPropertyName("stdin")] bool Stdin);

internal sealed record ProcessSelector([property: JsonPropertyName("pid")] uint Pid);

internal sealed record SendSignalRequest(
    [property: JsonPropertyName("process")] ProcessSelector Process,
    [property: JsonPropertyName("signal")] string Signal);

internal sealed record ListResponse([property: JsonPropertyName("processes")] IReadOnlyList<ListedProcess>? Processes);

internal sealed record ListedProcess(
    [property: JsonPropertyName("pid")] uint Pid,
    [property: JsonPropertyName("tag")] string? Tag);

internal sealed record ProcessEventEnvelope([property: JsonPropertyName("event")] ProcessEvent? Event);

/// <summary>A oneof: exactly one member is set.</summary>
internal sealed record ProcessEvent(
    [property: JsonPropertyName("start")] StartEvent? Start,
    [property: JsonPropertyName("data")] DataEvent? Data,
    [property: JsonPropertyName("end")] EndEvent? End,
    [property: JsonPropertyName("keepalive")] object? Keepalive);

internal sealed record StartEvent([property: JsonPropertyName("pid")] uint Pid);

internal sealed record DataEvent(
    [property: JsonPropertyName("stdout")] byte[]? Stdout,
    [property: JsonPropertyName("stderr")] byte[]? Stderr);

internal sealed record EndEvent(
    [property: JsonPropertyName("exitCode")] int ExitCode,
    [property: JsonPropertyName("exited")] bool Exited,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("error")] string? Error);

internal static class EnvdSignals
{
    public static string Of(ProcessSignal signal) => signal == ProcessSignal.Kill ? "SIGNAL_SIGKILL" : "SIGNAL_SIGTERM";
}
