using System.Globalization;
using CodingAgent.Model;

namespace CodingAgent.Validation;

/// <summary>The prompt of an automatic fix turn: what failed after the agent's change, with the end of its output.</summary>
public static class FixTurnPrompt
{
    public static string For(ValidationVerdict verdict, int attempt, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        string exit = verdict.ExitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) : "none";
        return $"""
            Automatic follow-up {attempt} of {maxAttempts}: the checks after turn {verdict.Turn} failed.
            Command: {verdict.Command}
            Exit code: {exit}
            Change the code so that this command passes, without weakening or removing the checks, then end with a short summary.

            The command's output ended with:
            ```
            {verdict.OutputTail}
            ```
            """;
    }
}
