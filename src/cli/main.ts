import { Argument, Command, CommanderError, Option } from 'commander';
import { isProvisionError } from '../errors.js';
// The kinds a user's data is declared for, which are the ones restore can undo (a test holds the registry to it).
import { LOCATION_KINDS } from '../config/model/effective.js';
import { colourWanted, createStyle, type Style } from '../text/style.js';
// The plan command is loaded with the CLI: it is what a daily run does, and every other command
// uses its modules anyway (docs/performance.md, "The seventh pass"). Types only for the others:
// each one's modules are initialized when that command runs (in the built script, esbuild turns
// each import() into a lazy initializer), so `--help`, `--version` and a plan do not run them.
import { planCommand, type PlanOptions } from './commands/plan.js';
import type { CommonOptions } from '../app/session.js';
import type { ApplyOptions } from './commands/apply.js';
import type { InitOptions } from './commands/init.js';
import type { RestoreOptions } from './commands/restore.js';
import type { StatusOptions } from './commands/status.js';
import { formatError, terminalSafe } from './print-error.js';
import { stderr, stdout, stdOutputFailed, watchStdStreams } from './std-output.js';
import { commandToDefine } from './command-to-define.js';
import { provisionVersion } from '../app/version.js';

const EXAMPLES = {
  plan: `
Examples:
  provision plan                          # this computer, found by its name
  provision plan --machine imac --json    # as JSON, for scripts
  provision plan --out tonight.plan       # save it; provision apply tonight.plan applies exactly it
  provision plan --root /tmp/mac --machine imac --detailed-exitcode
Exit codes: 0 no changes (or changes without --detailed-exitcode), 1 error or blocked, 2 changes pending (--detailed-exitcode).`,
  apply: `
Examples:
  provision apply                 # shows the plan, asks, then applies
  provision apply --yes --user alex
  provision apply --verify content        # compare every copied byte before an original goes
  provision plan --out tonight.plan && provision apply tonight.plan   # exactly the plan reviewed
  provision apply --yes --json            # for scripts: one JSON document on stdout
Before an original is put aside or removed, apply checks the disk again: the drive must be the one
the move began on (its volume UUID or provision's .provision-drive.json marker), hold the copy, and
nothing may have written into the original since the copy began. Otherwise it stops, keeping the data.
Exit codes: 0 applied (or nothing to do), 1 error, blocked or declined, 130 interrupted (run apply again to finish).`,
  restore: `
Examples:
  provision restore --dry-run             # shows what would come back; changes nothing
  provision restore --user alex --only mobilesync --yes
  provision restore --only photos         # photo libraries back into ~/Pictures (quit Photos first)
Afterwards the declaration still puts the data on a drive, and the next apply moves it back:
set the location to false for the user on this machine (e.g. alex: { mobilesync: false }).
Exit codes: 0 restored (or nothing to do), 1 error, blocked or declined, 130 interrupted (run restore again to finish).`,
  init: `
Examples:
  provision init ~/dotfiles       # writes ~/dotfiles/backups.yaml
  provision init --add-machine    # adds this computer to the declaration plan uses
  provision init /tmp/d --root /tmp/mac --platform macos --user alex
Never overwrites a file; what it writes has passed validate first.`,
  validate: `
Example:
  provision validate -c ~/dotfiles/backups.yaml`,
};

/** Every command main defines (command-to-define.ts: a run defines only the one it names). */
const COMMANDS = ['plan', 'apply', 'restore', 'confirm-library', 'status', 'check', 'init', 'schema', 'schedule', 'doctor', 'journal', 'drive', 'completion', '__complete', 'validate'] as const;

/** Runs the CLI; returns the exit code. The only place errors become text and exit codes. */
export async function main(argv: string[]): Promise<number> {
  watchStdStreams();
  let style: Style = createStyle(false);
  const program = new Command('provision')
    .description('Declare where iPhone backups, photo libraries, music and Time Machine backups live on your drives and shares, then plan and apply it safely.')
    .version(provisionVersion(), '-V, --version')
    .option('--no-color', 'no colours in the output (also: NO_COLOR=1)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => stderr.write(terminalSafe(s)), writeOut: (s) => stdout.write(s) })
    .hook('preAction', (cmd) => {
      const opts = cmd.opts<{ color?: boolean }>();
      style = createStyle(colourWanted(stdout, process.env, opts.color));
    });

  const common = (cmd: Command): Command =>
    cmd
      .option('-c, --config <file>', 'the declaration (default: $PROVISION_CONFIG, ./backups.yaml, ~/.dotfiles, ~/dotfiles, ~/.config/provision); once checked, kept in your cache folder until it changes ($PROVISION_CACHE_DIR, off to turn off)')
      .option('--machine <name>', 'the declared machine to provision (default: the one matching this computer\'s name)')
      .option('--user <name>', 'only this user (default: you; every user of the machine when run as root)')
      .option('--root <dir>', 'a folder that stands for the machine\'s / (a sandbox, or another Mac\'s disk)');

  let code = 0;
  const only = commandToDefine(argv, COMMANDS);
  const wanted = (name: (typeof COMMANDS)[number]): boolean => only === undefined || only === name;
  if (wanted('plan')) {
    common(program.command('plan').description('show what apply would change; changes nothing'))
      .option('--detailed-exitcode', 'exit 2 when there are changes to apply, 0 when there are none')
      .option('--json', 'print the plan as versioned JSON')
      .option('--out <file>', 'also save the plan, with a fingerprint of what it observed, for apply FILE')
      .addHelpText('after', EXAMPLES.plan)
      .action(async (opts: PlanOptions) => {
        code = await planCommand(opts, style);
      });
  }
  if (wanted('apply')) {
    common(program.command('apply').description('carry out the plan: move data to the drives and put links in place'))
      .argument('[planfile]', 'a plan saved with plan --out: apply exactly it, or refuse it if anything changed since')
      .option('-y, --yes', 'do not ask for confirmation (needed when not on a terminal; a saved plan needs none)')
      .addOption(new Option('--verify <how>', 'how each copy is checked before the original goes: size (every entry and file size) or content (every byte too; slower)').choices(['size', 'content']).default('size'))
      .option('--json', 'print the result as versioned JSON on stdout (progress goes to stderr)')
      .option('--scheduled', 'run as the scheduled job does (schedule install sets it): never removes a photo library original kept until its owner has opened the moved one')
      .addHelpText('after', EXAMPLES.apply)
      .action(async (planFile: string | undefined, opts: ApplyOptions) => {
        code = await (await import('./commands/apply.js')).applyCommand(planFile, opts, style);
      });
  }
  if (wanted('restore')) {
    common(program.command('restore').description('undo apply: move the data back from the drives into the home folders and remove the links'))
      .addOption(new Option('--only <kind>', 'only this kind of resource').choices([...LOCATION_KINDS]))
      .option('--dry-run', 'show the restore plan and change nothing')
      .option('-y, --yes', 'do not ask for confirmation (needed when not on a terminal)')
      .addOption(new Option('--verify <how>', 'how each copy is checked before the original goes: size (every entry and file size) or content (every byte too; slower)').choices(['size', 'content']).default('size'))
      .option('--json', 'print the result as versioned JSON on stdout (progress goes to stderr)')
      .addHelpText('after', EXAMPLES.restore)
      .action(async (opts: RestoreOptions) => {
        code = await (await import('./commands/restore.js')).restoreCommand(opts, style);
      });
  }
  if (wanted('confirm-library')) {
    common(program.command('confirm-library').description('say that a moved photo library works when opened from its drive: the next apply removes the original provision kept'))
      .argument('[library]', 'the library\'s name (Photos Library.photoslibrary) or one of its paths; default: every kept original of the run\'s users')
      .addHelpText('after', `
After a photo library moves, provision keeps the original beside its link, as Apple advises,
until you have opened the moved library in Photos (hold Option while opening Photos, choose
Other Library). Making it the System Photo Library is seen by itself; otherwise say so here.
Examples:
  provision confirm-library                                  # every kept original of yours
  provision confirm-library "Photos Library.photoslibrary"   # just this one
Exit codes: 0 recorded, 1 error or nothing kept.`)
      .action(async (library: string | undefined, opts: CommonOptions) => {
        code = await (await import('./commands/confirm-library.js')).confirmLibraryCommand(library, opts, style);
      });
  }
  if (wanted('status')) {
    common(program.command('status').description('show what is where now: each location\'s state and size, device backups, drives; changes nothing'))
      .option('--json', 'print the status as versioned JSON')
      .option('--detailed-exitcode', 'exit 2 when anything needs attention, 0 when all is as declared')
      .addHelpText('after', `
Examples:
  provision status                        # every user and location of this computer
  provision status --user alex --json     # as JSON, for scripts
  provision status --root /tmp/mac --machine imac --detailed-exitcode
Exit codes: 0 shown (whatever it found), 1 error, 2 something needs attention (--detailed-exitcode).`)
      .action(async (opts: StatusOptions) => {
        code = await (await import('./commands/status.js')).statusCommand(opts, style);
      });
  }
  if (wanted('check')) {
    common(program.command('check').description('judge the health of the backups: device backups, drives, Time Machine, shares, scheduled runs, data with only one copy; changes nothing'))
      .option('--json', 'print the findings as versioned JSON')
      .option('--notify', 'also post a notification when something is wrong (macOS) or log it to the journal (Linux), and record the drives seen: what the daily agent runs')
      .option('--scheduled', 'run as the daily agent does (schedule install sets it): the run is recorded for schedule status')
      .addHelpText('after', `
Each finding is ok, a warning or a problem, with the fix in one line; docs/check.md explains each
code. Limits (how old a device backup may get, ...) come from watch: in backups.yaml.
Examples:
  provision check                          # this computer, every member looked at here
  provision check --json | jq '.findings[] | select(.severity != "ok")'
  provision check --notify                 # what schedule install's daily agent runs
  systemd timer or cron on Linux: see docs/schedule.md
Exit codes: 0 healthy, 2 warnings only, 3 a problem found, 1 the check could not run.`)
      .action(async (opts: import('./commands/check.js').CheckOptions) => {
        code = await (await import('./commands/check.js')).checkCommand(opts, style);
      });
  }
  if (wanted('init')) {
    program
      .command('init')
      .description('write a starter backups.yaml for this computer and you, from the drives and data found here')
      .argument('[dir]', 'the folder to write backups.yaml in (default: the current folder)')
      .option('-c, --config <file>', 'the file to write; with --add-machine, the declaration to extend (default: found as plan finds it)')
      .option('--add-machine', 'add this computer (and you, if absent) to an existing declaration, keeping the rest of the file as it is')
      .option('--machine <name>', "the name to declare this computer under (default: made from the computer's name)")
      .option('--user <name>', 'the account to declare (default: you)')
      .option('--root <dir>', "a folder that stands for the machine's / (a sandbox, or another Mac's disk)")
      .addOption(new Option('--platform <platform>', 'with --root: the machine\'s platform (default: macos)').choices(['macos', 'windows', 'linux']))
      .addHelpText('after', EXAMPLES.init)
      .action(async (dir: string | undefined, opts: InitOptions) => {
        code = await (await import('./commands/init.js')).initCommand(dir, opts, style);
      });
  }
  if (wanted('schema')) {
    program
      .command('schema')
      .description('print the JSON Schema of backups.yaml (for editors), or of the JSON that plan, apply or status print')
      .addArgument(new Argument('[name]', 'which schema (default: backups)').choices(['backups', 'plan', 'apply', 'status', 'schedule-status', 'doctor', 'check']))
      .option('--path', 'print where the installed schema file is instead of its content')
      .addHelpText('after', `
Examples:
  provision schema > ~/dotfiles/backups.schema.json   # then, in backups.yaml's first line:
                                                      # yaml-language-server: $schema=./backups.schema.json
  provision schema plan                               # the format of plan --json
  provision schema --path                             # where the installed file is`)
      .action(async (name: string | undefined, opts: { path?: boolean }) => {
        code = await (await import('./commands/schema.js')).schemaCommand(name, opts);
      });
  }
  if (wanted('schedule')) {
    // Two LaunchAgents per user: apply whenever a volume mounts, check once a day (macOS only).
    type ScheduleOptions = import('./commands/schedule.js').ScheduleOptions;
    const SCHEDULE_EXAMPLES = `
Examples:
  provision schedule install        # for you, loaded at once
  provision schedule status         # installed? current? loaded? last run?
  provision schedule status --json  # the same, for scripts
  provision schedule remove         # unloads them, deletes the plists
  sudo provision schedule install   # the agents of every user of this Mac
One agent runs provision apply --yes each time a volume mounts, the
other provision check --notify every day (a notification only when
something is wrong). Their output goes to ~/Library/Logs/provision/
apply.log and check.log, what each run did to scheduled-runs.json
(kept by remove). Both run node, which needs Full Disk Access itself:
install names its path. On Linux, see docs/schedule.md (systemd, cron).`;
    const runSchedule = async (action: 'install' | 'remove' | 'status', opts: ScheduleOptions): Promise<void> => {
      code = await (await import('./commands/schedule.js')).scheduleCommand(action, opts, style);
    };
    const schedule = program
      .command('schedule')
      .description('macOS LaunchAgents: provision apply --yes each time a drive is mounted (links come back with their drive), and a daily provision check --notify')
      .addHelpText('after', SCHEDULE_EXAMPLES);
    common(schedule.command('install').description('write both LaunchAgents for each user (as plan chooses them) and load them; names the node that needs Full Disk Access; again changes nothing'))
      .addHelpText('after', SCHEDULE_EXAMPLES)
      .action((opts: ScheduleOptions) => runSchedule('install', opts));
    common(schedule.command('remove').description('unload the LaunchAgents and delete their plists (only provision\'s own); the logs stay'))
      .addHelpText('after', SCHEDULE_EXAMPLES)
      .action((opts: ScheduleOptions) => runSchedule('remove', opts));
    common(schedule.command('status').description('whether the LaunchAgent is installed, current and loaded, its last run, and its log\'s last lines'))
      .option('--json', 'print it as versioned JSON')
      .addHelpText('after', SCHEDULE_EXAMPLES)
      .action((opts: ScheduleOptions) => runSchedule('status', opts));
  }
  if (wanted('doctor')) {
    common(program.command('doctor').description('check what the plan needs here (declaration, machine, Full Disk Access, root, drives, tools) and how to fix what is missing; changes nothing'))
      .option('--json', 'print the checklist as versioned JSON')
      .addHelpText('after', `
Examples:
  provision doctor                        # this computer, found by its name
  sudo provision doctor                   # as sudo provision apply sees it: every user, Time Machine
  provision doctor --json | jq '.checks[] | select(.status != "ok")'
Exit codes: 0 no problem (warnings allowed), 1 a problem found, or an error.`)
      .action(async (opts: import('./commands/doctor.js').DoctorOptions) => {
        code = await (await import('./commands/doctor.js')).doctorCommand(opts, style);
      });
  }
  if (wanted('journal')) {
    const JOURNAL_HELP = `
Each move and restore is journaled, one file per move, in /var/db/provision (run as root) or
~/.local/state/provision (run as a user); apply finishes an interrupted one from where it stopped.
A journal file that cannot be read blocks plan and apply (JOURNAL_DAMAGED), naming what its move
left behind. After checking that, set the file aside; nothing is ever deleted:
  provision journal list                          # every unfinished move, damaged ones too
  provision journal set-aside alex_mobilesync.0   # keeps it as alex_mobilesync.0.json.damaged-<time>
An original the move had put aside (.provision-aside-...) then stays in plan and status
(LEFTOVER_ASIDE) until you have checked it against the drive and deleted it yourself.`;
    const journal = program
      .command('journal')
      .description('list unfinished moves and restores, and set aside a damaged journal entry (never deletes data)')
      .addHelpText('after', JOURNAL_HELP);
    common(journal.command('list').description('show each unfinished move or restore, and each damaged entry with what its move left behind; changes nothing'))
      .addHelpText('after', JOURNAL_HELP)
      .action(async (opts: import('../app/session.js').CommonOptions) => {
        code = await (await import('./commands/journal.js')).journalListCommand(opts, style);
      });
    common(journal.command('set-aside').description('rename a damaged journal entry to <id>.json.damaged-<time>, so that plans are no longer blocked by it'))
      .argument('<id>', 'the entry\'s id: its file name without .json, as plan and journal list show it')
      .addHelpText('after', JOURNAL_HELP)
      .action(async (id: string, opts: import('../app/session.js').CommonOptions) => {
        code = await (await import('./commands/journal.js')).journalSetAsideCommand(id, opts, style);
      });
  }
  if (wanted('drive')) {
    const DRIVE_HELP = `
On a drive that honours owners, each person's folder is theirs alone (mode 0700), by uid. An
account with another uid on another Mac cannot open its own folder from there: plan blocks with
OWNER_MISMATCH, naming both uids. As root, adopt gives that person's declared folders on the
drives (and everything below them) to their uid on this machine. Only the owner changes (not the
group, modes or contents); nothing outside those folders, no link target, nothing on another
device is touched, and the drive must be the declared one.
Examples:
  sudo provision drive adopt alex                   # lists what would change, then asks
  sudo provision drive adopt alex --confirm alex    # no terminal (a script): --confirm names the user
Exit codes: 0 done (or nothing to change), 1 error, refused or declined.`;
    const drive = program.command('drive').description("deal with a drive several people share: give a person's folders on it to their account").addHelpText('after', DRIVE_HELP);
    drive
      .command('adopt')
      .description("give a person's own folders on the declared drives to their uid on this machine (root; asks first)")
      .argument('<user>', 'the person whose folders to adopt, as the declaration names them')
      .option('-c, --config <file>', 'the declaration (default: $PROVISION_CONFIG, ./backups.yaml, ~/.dotfiles, ~/dotfiles, ~/.config/provision); once checked, kept in your cache folder until it changes ($PROVISION_CACHE_DIR, off to turn off)')
      .option('--machine <name>', "the declared machine (default: the one matching this computer's name)")
      .option('--root <dir>', "a folder that stands for the machine's / (a sandbox, or another Mac's disk)")
      .option('--confirm <user>', 'go ahead without asking (no terminal): must name the same user')
      .addHelpText('after', DRIVE_HELP)
      .action(async (user: string, opts: import('./commands/drive.js').DriveAdoptOptions) => {
        code = await (await import('./commands/drive.js')).driveAdoptCommand(user, opts, style);
      });
  }
  if (wanted('completion')) {
    program
      .command('completion')
      .description("print a completion script for bash, zsh or fish, made from provision's own commands")
      .addArgument(program.createArgument('<shell>', 'bash, zsh or fish').choices(['bash', 'zsh', 'fish']))
      .addHelpText('after', `
Examples:
  provision completion bash > ~/.local/share/bash-completion/completions/provision
  provision completion zsh > ~/.zfunc/_provision
    (and in ~/.zshrc, before compinit: fpath=(~/.zfunc $fpath))
  provision completion fish > ~/.config/fish/completions/provision.fish
  eval "$(provision completion bash)"        # in ~/.bashrc: loaded by each new shell instead
  source <(provision completion zsh)         # in ~/.zshrc, after compinit
Then open a new shell. Generate it again after upgrading provision, to complete new commands and options.`)
      .action(async (shell: 'bash' | 'zsh' | 'fish', _opts: unknown, cmd: Command) => {
        code = (await import('./commands/completion.js')).completionCommand(shell, cmd);
      });
  }
  // What the completion scripts run on Tab for --machine and --user: names, one a line, and
  // nothing at all (exit 0) on any error.
  if (wanted('__complete')) {
    program
      .command('__complete', { hidden: true })
      .argument('<what>', 'machines or users')
      .option('-c, --config <file>', 'the declaration')
      .option('--machine <name>', 'the machine whose users to list')
      .allowUnknownOption()
      .action(async (what: string, opts: import('./commands/completion.js').NamesOptions) => {
        code = await (await import('./commands/completion.js')).completeNamesCommand(what, opts);
      });
  }
  if (wanted('validate')) {
    program
      .command('validate')
      .description('check the declaration and report every problem with its file, line and column')
      .addOption(new Option('-c, --config <file>', 'the declaration'))
      .addHelpText('after', EXAMPLES.validate)
      .action(async (opts: { config?: string }) => {
        code = await (await import('./commands/validate.js')).validateCommand(opts, style);
      });

  }
  try {
    await program.parseAsync(argv);
    // Output that could not be written (a full disk, an I/O error; not a reader that went away).
    return code === 0 && stdOutputFailed() ? 1 : code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has already printed help, the version, or what was wrong with the arguments.
      return e.exitCode === 0 ? 0 : 1;
    }
    if (isProvisionError(e)) {
      stderr.write(style.red('Error: ') + formatError(e));
      return e.code === 'INTERRUPTED' ? 130 : 1;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    stderr.write(`Internal error: ${terminalSafe(err.message)}\nThis is a bug in provision; please report it with the command you ran.\n`);
    if (process.env['PROVISION_DEBUG']) stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}

/** Fills Node's compile cache for this build (bin/provision.js, after a run that succeeded). */
export async function keepCompiled(command: { file: string; args: string[] }): Promise<void> {
  await (await import('./keep-compiled.js')).keepCompiled(command);
}

/** Ends the process at once when the command left nothing running (bin/provision.js; exit-when-idle.ts says why). */
export { exitWhenIdle } from './exit-when-idle.js';
