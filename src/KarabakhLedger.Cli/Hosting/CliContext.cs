using KarabakhLedger.Domain.Actors;
using Spectre.Console;

namespace KarabakhLedger.Cli.Hosting;

/// <summary>
/// Everything a command touches outside itself: its streams, its environment, its clock and the actor registry it
/// reads codes and names by. Tests run the real commands in-process by giving them their own context.
/// </summary>
public sealed record CliContext(
    Stream In,
    TextWriter Out,
    TextWriter Error,
    Func<string, string?> Environment,
    TimeProvider Clock)
{
    /// <summary>The actors codes and names are resolved against (the bundled tables unless a test gives others).</summary>
    public ActorRegistry Actors { get; init; } = ActorRegistry.Default;

    public static CliContext FromProcess() => new(
        System.Console.OpenStandardInput(), System.Console.Out, System.Console.Error, System.Environment.GetEnvironmentVariable, TimeProvider.System);

    /// <summary>A console for tables and progress, writing to <see cref="Out"/>; plain when it is not a terminal.</summary>
    public IAnsiConsole Console => _console ??= CreateConsole(Out);

    private IAnsiConsole? _console;

    private static IAnsiConsole CreateConsole(TextWriter output)
    {
        var terminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
        {
            console.Profile.Width = 160;
        }

        return console;
    }
}
