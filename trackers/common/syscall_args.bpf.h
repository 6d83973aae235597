/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Syscall arguments for programs on tp/syscalls/sys_exit_* tracepoints.
 * The exit tracepoint only carries the return value; the arguments are
 * read back from the user registers saved at syscall entry, which saves
 * an enter program and a per-call hash map. SYSCALL_REGS() is a typed
 * kernel pointer, so SYSCALL_ARGn() are plain loads (made fault-safe by the
 * verifier), not a bpf_probe_read_kernel() helper call each.
 */
#ifndef EUNOMIA_SYSCALL_ARGS_H
#define EUNOMIA_SYSCALL_ARGS_H

/* The current task's saved user registers. */
#define SYSCALL_REGS() ((struct pt_regs *)bpf_task_pt_regs(bpf_get_current_task_btf()))

#if defined(__TARGET_ARCH_x86)
#define SYSCALL_ARG0(regs) ((regs)->di)
#define SYSCALL_ARG1(regs) ((regs)->si)
#define SYSCALL_ARG2(regs) ((regs)->dx)
#define SYSCALL_ARG3(regs) ((regs)->r10)
#define SYSCALL_ARG4(regs) ((regs)->r8)
#define SYSCALL_ARG5(regs) ((regs)->r9)
#elif defined(__TARGET_ARCH_arm64)
/* x0 already holds the return value at exit; the first argument is kept in orig_x0. */
#define SYSCALL_ARG0(regs) ((regs)->orig_x0)
#define SYSCALL_ARG1(regs) ((regs)->regs[1])
#define SYSCALL_ARG2(regs) ((regs)->regs[2])
#define SYSCALL_ARG3(regs) ((regs)->regs[3])
#define SYSCALL_ARG4(regs) ((regs)->regs[4])
#define SYSCALL_ARG5(regs) ((regs)->regs[5])
#else
#error "syscall argument registers are only defined for x86 and arm64; add them for this architecture"
#endif

#endif /* EUNOMIA_SYSCALL_ARGS_H */
