// SPDX-License-Identifier: GPL-2.0
/*
 * Door 2: the misc device /dev/dvk. Every call is one _IOWR ioctl whose
 * argument carries the five ipc() values (struct dvk_ioc_args); calls.c
 * does the rest, exactly as for the system call.
 */
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>
#include <dvk/dvk_kernel.h>
#include "dvk_internal.h"
#include "ioctl_door.h"

static long dvk_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct dvk_ioc_args __user *uargs = (void __user *)arg;
	struct dvk_ioc_args a;
	unsigned int nr = _IOC_NR(cmd);
	long ret;

	if (cmd != DVK_IOC(nr))
		return -ENOTTY;
	if (copy_from_user(&a, uargs, sizeof(a)))
		return EDVSFAULT;
	if (nr >= DVK_NR_CALLS)
		ret = EDVSNOSYS;
	else	/* as the system call, @first is an int */
		ret = dvk_do_call(nr, (int)a.first, a.second, a.third,
				  u64_to_user_ptr(a.ptr), a.fifth);
	if (put_user(ret, &uargs->ret))
		return EDVSFAULT;
	return ret;
}

static const struct file_operations dvk_fops = {
	.owner		= THIS_MODULE,
	.unlocked_ioctl	= dvk_ioctl,
	/* Every field is 64 bits wide: 32-bit callers need no translation. */
	.compat_ioctl	= dvk_ioctl,
	.llseek		= noop_llseek,
};

/* Anyone may open it: each call checks its own permissions. */
static struct miscdevice dvk_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "dvk",
	.fops	= &dvk_fops,
	.mode	= 0666,
};

/**
 * dvk_ioctl_door_open() - register /dev/dvk and mark the door open.
 *
 * Return: 0 or a negative errno.
 */
int dvk_ioctl_door_open(void)
{
	int ret = misc_register(&dvk_miscdev);

	if (ret) {
		pr_err("dvk: cannot register /dev/dvk (%d)\n", ret);
		return ret;
	}
	dvk_door_set(DVS_IOCTL, true);
	return 0;
}

/**
 * dvk_ioctl_door_close() - mark the door closed and remove /dev/dvk. Only
 * at module exit, when no file is open (each holds a module reference).
 */
void dvk_ioctl_door_close(void)
{
	dvk_door_set(DVS_IOCTL, false);
	misc_deregister(&dvk_miscdev);
}
