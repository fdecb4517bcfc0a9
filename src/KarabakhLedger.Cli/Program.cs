using KarabakhLedger.Cli.Hosting;

return await LedgerCli.RunAsync(args, CliContext.FromProcess());
