/**
 * The Ansible competitor: a playbook doing the same job as provision's relocation, written the
 * way an Ansible user would to make it safe to run twice. It looks at the Backup folder (stat
 * does not follow links); only if it is a real folder does it copy it to the drive (`copy` with
 * `remote_src`) and remove it; then `file state=link` makes the link, which on a converged
 * machine is already there, so `--check` reports nothing to change. Run against localhost with
 * the local connection and the interpreter named (no discovery), from Debian's ansible package.
 */

import { mkdir, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { measuredEnv, type Command } from './run-timed.js';

const PLAYBOOK = `- name: Move iOS device backups to the drive and leave a link
  hosts: all
  connection: local
  gather_facts: false
  tasks:
    - name: Look at the Backup folder
      ansible.builtin.stat:
        path: "{{ home_backup }}"
        get_checksum: false
        get_mime: false
        get_attributes: false
      register: backup

    - name: Make the folder that holds it on the drive
      ansible.builtin.file:
        path: "{{ drive_backup | dirname }}"
        state: directory
        mode: "0755"

    - name: Copy the backups to the drive
      ansible.builtin.copy:
        src: "{{ home_backup }}/"
        dest: "{{ drive_backup }}/"
        remote_src: true
      when: backup.stat.isdir | default(false)

    - name: Remove the original folder
      ansible.builtin.file:
        path: "{{ home_backup }}"
        state: absent
      when: backup.stat.isdir | default(false)

    - name: Link the Backup folder to the drive
      ansible.builtin.file:
        src: "{{ drive_backup }}"
        dest: "{{ home_backup }}"
        state: link
`;

export function ansibleAvailable(): boolean {
  return existsSync('/usr/bin/ansible-playbook');
}

export class AnsibleJob {
  private constructor(private readonly dir: string) {}

  /** Writes the playbook into `dir`; its temporary files go there too, not to ~/.ansible. */
  static async create(dir: string): Promise<AnsibleJob> {
    await mkdir(join(dir, 'tmp'), { recursive: true });
    await writeFile(join(dir, 'relocate.yml'), PLAYBOOK);
    return new AnsibleJob(dir);
  }

  /** ansible-playbook for moving `homeBackup` to `driveBackup`; `check` adds --check. */
  command(homeBackup: string, driveBackup: string, check = false): Command {
    const vars = JSON.stringify({ home_backup: homeBackup, drive_backup: driveBackup });
    return {
      file: '/usr/bin/ansible-playbook',
      args: [
        '-i',
        'localhost,',
        '-e',
        'ansible_python_interpreter=/usr/bin/python3',
        '-e',
        vars,
        ...(check ? ['--check'] : []),
        join(this.dir, 'relocate.yml'),
      ],
      env: measuredEnv({
        ANSIBLE_LOCAL_TEMP: join(this.dir, 'tmp'),
        ANSIBLE_REMOTE_TEMP: join(this.dir, 'tmp'),
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_RETRY_FILES_ENABLED: 'false',
        ANSIBLE_LOCALHOST_WARNING: 'false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING: 'false',
      }),
    };
  }
}

/** The "changed=N" count in the play recap, or NaN. */
export function changedCount(stdout: string): number {
  const m = /changed=(\d+)/.exec(stdout);
  return m?.[1] === undefined ? NaN : Number(m[1]);
}
