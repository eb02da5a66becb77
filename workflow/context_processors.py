from workflow.steps import SOP


def sop(request):
    return {"SOP": SOP}
